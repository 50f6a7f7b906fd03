/**
 * WebGPU reports allocation failures and invalid calls asynchronously, as `uncapturederror` events, while the
 * calls themselves "succeed" with invalid objects; onnxruntime does not always notice. A trial that ran
 * through such an error measured nothing real, so the runner asks for the errors after each step.
 */
const collected = new WeakMap<GPUDevice, string[]>();

export function watchGpuErrors(device: GPUDevice): void {
  if (collected.has(device)) return;
  const errors: string[] = [];
  collected.set(device, errors);
  device.addEventListener('uncapturederror', (event) => {
    const { error } = event;
    const kind = error instanceof GPUOutOfMemoryError ? 'out of memory' : error.constructor.name;
    errors.push(`${kind}: ${error.message}`);
  });
}

/**
 * The errors reported since the last call (emptied). Waits one task first: the events of work that just
 * finished are dispatched after the promise that awaited it resolves.
 */
export async function takeGpuErrors(device: GPUDevice): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  const errors = collected.get(device);
  if (errors === undefined) return [];
  return errors.splice(0, errors.length);
}
