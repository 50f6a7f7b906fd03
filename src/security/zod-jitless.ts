/**
 * zod compiles validators with `new Function` when it may, and probes for it on first use; under the page's
 * Content-Security-Policy (no 'unsafe-eval') that probe is reported as a violation. Interpreted validation
 * is fast enough for our inputs. Imported first by the entry point.
 */
import { z } from 'zod';

z.config({ jitless: true });
