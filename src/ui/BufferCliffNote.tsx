import { useMemo } from 'react';
import { cliffEvidence, scoreCliffNotes, type ScoreCliffNote } from '../bench/buffer-cliff';
import type { ModelRef } from '../config/model-ref';
import { PRESETS } from '../model/config';
import type { TrialRecord } from '../results/trial';
import type { DecoderShape } from '../source/decoder-shape';

interface BufferCliffNoteProps {
  readonly trials: readonly TrialRecord[];
  readonly model: ModelRef | undefined;
  /** config.json of the repository the results came from, when it is the one looked up. */
  readonly decoder: DecoderShape | undefined;
}

function attentionHeads(model: ModelRef | undefined, decoder: DecoderShape | undefined): number | undefined {
  if (model === undefined) return undefined;
  return model.kind === 'builtin'
    ? PRESETS[model.preset].config.numAttentionHeads
    : decoder?.numAttentionHeads;
}

const list = (lengths: readonly number[]) => lengths.join(', ');
const evidence = (note: ScoreCliffNote) => {
  const text = cliffEvidence(note);
  return text === undefined ? null : ` ${text}`;
};

/** Says where a plain graph's prefill outgrows onnxruntime's buffer cache, with the buffers counted as evidence. */
export function BufferCliffNote({ trials, model, decoder }: BufferCliffNoteProps) {
  const heads = attentionHeads(model, decoder);
  const notes = useMemo(() => (heads === undefined ? [] : scoreCliffNotes(trials, heads)), [trials, heads]);
  if (notes.length === 0) return null;
  return (
    <div className="hint" data-testid="buffer-cliff-note">
      {notes.map((note) => (
        <p key={note.quantization} data-quantization={note.quantization} data-cliff-tokens={note.cliffTokens}>
          {note.quantization}, plain graph: from {note.cliffTokens} tokens the attention-score tensor [1,{' '}
          {note.numAttentionHeads}, T, T] in float32 is over onnxruntime&apos;s 160 MiB buffer cache, so every
          prefill creates its buffers again; expect a step here (measured past it:{' '}
          {list(note.lengthsPastCliff)} tokens). The fused graph or the &apos;simple&apos; buffer cache avoid
          it.
          {evidence(note)}
        </p>
      ))}
    </div>
  );
}
