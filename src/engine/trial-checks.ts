/**
 * Runs one trial, then checks that no GPU error happened during it: a trial that ran through one measured
 * nothing. Errors are explained with what was being run ("running the q4 trial at 512 tokens").
 */
import type { TrialMeasurement } from '../results/trial';
import { takeGpuErrors } from './gpu-errors';
import { explainGpuErrors, explainTrialError } from './session-errors';

export async function checkedTrial(
  check: { readonly device: GPUDevice; readonly signal: AbortSignal; readonly what: string },
  run: () => Promise<TrialMeasurement>,
): Promise<TrialMeasurement> {
  let measurement: TrialMeasurement;
  try {
    measurement = await run();
  } catch (error) {
    if (check.signal.aborted) throw error;
    throw new Error(explainTrialError(check.what, error), { cause: error });
  }
  const trialErrors = await takeGpuErrors(check.device);
  if (trialErrors.length > 0) throw new Error(explainGpuErrors(check.what, trialErrors));
  return measurement;
}
