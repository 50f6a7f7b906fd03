import { useState, type ReactNode } from 'react';

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
  return (
    <details
      className="fold"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
      data-testid={`section-${id}`}
    >
      <summary>
        <h2 id={`${id}-heading`}>{title}</h2>
      </summary>
      {open && children}
    </details>
  );
}
