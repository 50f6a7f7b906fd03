import { createContext, useContext, useState, type ReactNode } from 'react';

const FoldHeading = createContext<string | undefined>(undefined);

/**
 * The id of the heading of the fold a panel is rendered in, so the panel is labelled by the heading it
 * really sits under (undefined outside a fold).
 */
function useFoldHeadingId(): string | undefined {
  return useContext(FoldHeading);
}

/** A panel's accessible name: the heading of its fold, or its own name where it sits in no fold. */
export type PanelLabel = { readonly 'aria-labelledby': string } | { readonly 'aria-label': string };

/** The attributes that name a panel (spread onto its section): see useFoldHeadingId. */
export function usePanelLabel(ownName: string): PanelLabel {
  const headingId = useFoldHeadingId();
  return headingId === undefined ? { 'aria-label': ownName } : { 'aria-labelledby': headingId };
}

/**
 * A section of details that can be folded away. Its content is rendered only while open (a chart measured
 * while hidden would draw at zero size).
 */
export function FoldSection({
  id,
  title,
  defaultOpen,
  children,
}: {
  /** Names the section's heading (`${id}-heading`) and its test id (`section-${id}`). */
  readonly id: string;
  readonly title: ReactNode;
  readonly defaultOpen: boolean;
  readonly children: ReactNode;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const headingId = `${id}-heading`;
  return (
    <details
      className="fold"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
      data-testid={`section-${id}`}
    >
      <summary>
        <h2 id={headingId}>{title}</h2>
      </summary>
      <FoldHeading.Provider value={headingId}>{open && children}</FoldHeading.Provider>
    </details>
  );
}
