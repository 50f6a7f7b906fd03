import { useState } from 'react';
import type { RunState, RunSummary } from '../results/run-store';
import { usePanelLabel } from './FoldSection';

interface HistoryPanelProps {
  readonly runs: readonly RunSummary[];
  /** Runs being measured in some tab: they cannot be deleted. */
  readonly live: ReadonlySet<string>;
  readonly problem: string | undefined;
  readonly shownRunId: string | undefined;
  readonly busy: boolean;
  readonly onOpen: (runId: string) => void;
  readonly onResume: (runId: string) => void;
  readonly onRename: (runId: string, name: string) => void;
  /** Deletes these runs (asked and confirmed here); the page offers Undo. */
  readonly onDelete: (runIds: readonly string[]) => void;
  /** What was just deleted, with Undo; undefined when nothing was. */
  readonly deleted: { readonly message: string; readonly onUndo: () => void } | undefined;
}

const RESUMABLE: ReadonlySet<RunState> = new Set(['interrupted', 'cancelled', 'failed']);

/** A cancelled run that measured nothing has nothing to resume (older versions kept such runs). */
function resumable(run: RunSummary): boolean {
  return RESUMABLE.has(run.state) && !(run.state === 'cancelled' && run.trialCount === 0);
}

function isLive(run: RunSummary, live: ReadonlySet<string>): boolean {
  return live.has(run.runId);
}

/** Delete asks first; the question names what goes. */
function DeleteConfirmation({
  what,
  onYes,
  onNo,
}: {
  readonly what: string;
  readonly onYes: () => void;
  readonly onNo: () => void;
}) {
  return (
    <div
      className="actions"
      role="alertdialog"
      aria-label={`Delete ${what}?`}
      data-testid="history-confirm-delete"
    >
      Delete {what}? Its trials go too (you can undo this right after).{' '}
      <button type="button" className="primary" onClick={onYes} data-testid="history-confirm-yes">
        Delete
      </button>{' '}
      <button type="button" onClick={onNo}>
        Keep
      </button>
    </div>
  );
}

function RunName({ run, onRename }: { run: RunSummary; onRename: (name: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(run.name);
  if (!editing) {
    return (
      <>
        <span data-testid="history-name">{run.name}</span>{' '}
        <button
          type="button"
          onClick={() => {
            setName(run.name);
            setEditing(true);
          }}
          aria-label={`Rename ${run.name}`}
        >
          Rename
        </button>
      </>
    );
  }
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onRename(name);
        setEditing(false);
      }}
    >
      <input
        type="text"
        value={name}
        maxLength={200}
        onChange={(event) => setName(event.target.value)}
        aria-label="New name"
        data-testid="history-rename-input"
        autoFocus
      />{' '}
      <button type="submit">Save</button>{' '}
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}

/** Past runs saved in this browser: open one, resume an interrupted one, rename or delete. */
export function HistoryPanel({
  runs,
  live,
  problem,
  shownRunId,
  busy,
  onOpen,
  onResume,
  onRename,
  onDelete,
  deleted,
}: HistoryPanelProps) {
  const label = usePanelLabel('History');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // What Delete is asking about: one run, or the selected ones.
  const [asking, setAsking] = useState<readonly string[] | undefined>(undefined);
  // A run holding its Web Lock is being measured (here or in another tab); deletion checks the lock again.
  const deletable = runs.filter((run) => !isLive(run, live));
  const chosen = [...selected].filter((runId) => deletable.some((run) => run.runId === runId));
  const confirmDelete = (runIds: readonly string[]) => {
    setAsking(undefined);
    setSelected(new Set());
    onDelete(runIds);
  };
  return (
    <section className="panel" {...label} data-testid="history">
      {problem !== undefined && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {deleted !== undefined && (
        <p className="hint" role="status" data-testid="history-deleted">
          {deleted.message}{' '}
          <button type="button" onClick={deleted.onUndo} data-testid="history-undo">
            Undo
          </button>
        </p>
      )}
      {runs.length === 0 && problem === undefined && (
        <p className="hint">Runs are saved in this browser as they are measured; none yet.</p>
      )}
      {deletable.length > 1 && (
        <div className="actions">
          <button
            type="button"
            onClick={() => setSelected(new Set(deletable.map((run) => run.runId)))}
            data-testid="history-select-all"
          >
            Select all that can be deleted
          </button>{' '}
          <button
            type="button"
            disabled={chosen.length === 0}
            onClick={() => setAsking(chosen)}
            data-testid="history-delete-selected"
          >
            Delete selected ({chosen.length})
          </button>
        </div>
      )}
      {asking !== undefined && asking.length > 1 && (
        <DeleteConfirmation
          what={`${asking.length} runs`}
          onYes={() => confirmDelete(asking)}
          onNo={() => setAsking(undefined)}
        />
      )}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">select</span>
                </th>
                <th scope="col">started</th>
                <th scope="col">name</th>
                <th scope="col">adapter</th>
                <th scope="col">trials</th>
                <th scope="col">state</th>
                <th scope="col">
                  <span className="visually-hidden">actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr
                  key={run.runId}
                  data-testid="history-run"
                  data-run-id={run.runId}
                  data-state={run.state}
                  aria-current={run.runId === shownRunId ? 'true' : undefined}
                  data-live={isLive(run, live) ? 'true' : undefined}
                >
                  <td>
                    <input
                      type="checkbox"
                      checked={selected.has(run.runId)}
                      disabled={!deletable.includes(run)}
                      onChange={(event) => {
                        const next = new Set(selected);
                        if (event.target.checked) next.add(run.runId);
                        else next.delete(run.runId);
                        setSelected(next);
                      }}
                      aria-label={`Select ${run.name}`}
                      data-testid="history-select"
                    />
                  </td>
                  <td>{new Date(run.createdAt).toLocaleString()}</td>
                  <td>
                    <RunName run={run} onRename={(name) => onRename(run.runId, name)} />
                  </td>
                  <td>{run.adapter}</td>
                  <td data-testid="history-trials">{run.trialCount}</td>
                  <td title={run.message}>{isLive(run, live) ? 'being measured' : run.state}</td>
                  <td>
                    <div className="actions" style={{ marginTop: 0 }}>
                      <button type="button" disabled={busy} onClick={() => onOpen(run.runId)}>
                        Open
                      </button>
                      {resumable(run) && (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => onResume(run.runId)}
                          data-testid="history-resume"
                        >
                          Resume
                        </button>
                      )}
                      <button
                        type="button"
                        disabled={!deletable.includes(run)}
                        title={
                          deletable.includes(run)
                            ? undefined
                            : 'Being measured (in this tab or another): it cannot be deleted until it ends.'
                        }
                        onClick={() => setAsking([run.runId])}
                        aria-label={`Delete ${run.name}`}
                        data-testid="history-delete"
                      >
                        Delete
                      </button>
                    </div>
                    {asking !== undefined && asking.length === 1 && asking[0] === run.runId && (
                      <DeleteConfirmation
                        what={`“${run.name}”`}
                        onYes={() => confirmDelete([run.runId])}
                        onNo={() => setAsking(undefined)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
