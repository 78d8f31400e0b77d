/**
 * Daily re-drive of subject erasures whose orchestration was lost (the host died between
 * recording the request and starting it, or the run ended Failed/Terminated): each pending
 * erasure older than a few minutes gets its `subjectErasure` orchestration (re)started.
 */
import { app, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { erasureRedriveDeps, privacySettings } from '../shared/wiring/privacy';
import { FUNCTIONS } from '../shared/names';
import { redrivePendingErasures } from '../shared/privacy/erasure-redrive';

app.timer(FUNCTIONS.erasureRedrive, {
  schedule: '%RETENTION_SWEEP_SCHEDULE%',
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: unknown, context: InvocationContext) => {
    const { sweepBatchSize } = await privacySettings();
    const report = await redrivePendingErasures(await erasureRedriveDeps(df.getClient(context)), sweepBatchSize);
    for (const r of report.redriven) context.log(`erasure ${r.erasureId} (tenant ${r.tenantId}): orchestration ${r.outcome}`);
    context.log(`erasure re-drive: ${report.pending} pending past the grace period, ${report.redriven.length} (re)started`);
    return { pending: report.pending, redriven: report.redriven.length };
  },
});
