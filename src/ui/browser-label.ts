/** A short, honest description of the browser, as results carry it. */
export function browserLabel(): string {
  const brands = (
    navigator as Navigator & { userAgentData?: { brands: { brand: string; version: string }[] } }
  ).userAgentData?.brands;
  const named = brands?.filter((entry) => !/not.?a.?brand/i.test(entry.brand) && entry.brand !== 'Chromium');
  const brand = named?.[0] ?? brands?.find((entry) => entry.brand === 'Chromium');
  const prefix = brand === undefined ? '' : `${brand.brand} ${brand.version}; `;
  return `${prefix}${navigator.userAgent}`;
}
