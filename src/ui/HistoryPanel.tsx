import { useState } from 'react';
import type { RunState, RunSummary } from '../results/run-store';

interface HistoryPanelProps {
  readonly runs: readonly RunSummary[];
  readonly problem: string | undefined;
  readonly shownRunId: string | undefined;
  readonly busy: boolean;
  readonly onOpen: (runId: string) => void;
  readonly onResume: (runId: string) => void;
  readonly onRename: (runId: string, name: string) => void;
  readonly onDelete: (runId: string) => void;
}

const RESUMABLE: ReadonlySet<RunState> = new Set(['interrupted', 'cancelled', 'failed']);

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
  problem,
  shownRunId,
  busy,
  onOpen,
  onResume,
  onRename,
  onDelete,
}: HistoryPanelProps) {
  return (
    <section className="panel" aria-labelledby="history-heading" data-testid="history">
      {problem !== undefined && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {runs.length === 0 && problem === undefined && (
        <p className="hint">Runs are saved in this browser as they are measured; none yet.</p>
      )}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
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
                >
                  <td>{new Date(run.createdAt).toLocaleString()}</td>
                  <td>
                    <RunName run={run} onRename={(name) => onRename(run.runId, name)} />
                  </td>
                  <td>{run.adapter}</td>
                  <td data-testid="history-trials">{run.trialCount}</td>
                  <td title={run.message}>{run.state}</td>
                  <td>
                    <div className="actions" style={{ marginTop: 0 }}>
                      <button type="button" disabled={busy} onClick={() => onOpen(run.runId)}>
                        Open
                      </button>
                      {RESUMABLE.has(run.state) && (
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
                        disabled={busy && run.state === 'running'}
                        onClick={() => onDelete(run.runId)}
                        aria-label={`Delete ${run.name}`}
                      >
                        Delete
                      </button>
                    </div>
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
