import { z } from 'zod';
import type { Evidence } from './evidence';
import { challengeStepSchema } from './challenges/challenge';

/** Runtime check of `Evidence` where it crosses from the face adapters into the decision. */
const score = z.number().min(0).max(1);

const imageFindingsSchema = z.object({
  faceCount: z.number().int().min(0),
  detectionScore: score,
  quality: z.enum(['high', 'medium', 'low', 'none']),
  faceSizePx: z.number().min(0),
});

export const evidenceSchema = z.object({
  provider: z.enum(['local', 'azure']),
  document: imageFindingsSchema,
  selfie: z.object({
    kind: z.enum(['photo', 'video']),
    best: imageFindingsSchema,
    frames: z.number().int().min(1),
    framesWithOneFace: z.number().int().min(0),
    maxFacesInFrame: z.number().int().min(0),
    frameFindings: z.array(imageFindingsSchema).optional(),
  }),
  similarity: score.nullable(),
  liveness: z
    .object({
      score,
      method: z.enum(['passive-antispoof', 'video-frames', 'azure-liveness-session']),
      signals: z.record(z.string(), z.number()),
    })
    .nullable(),
  challenge: z
    .object({
      steps: z.array(challengeStepSchema),
      observed: z.array(challengeStepSchema),
      matched: z.boolean(),
      signals: z.record(z.string(), z.number()),
    })
    .optional(),
}) satisfies z.ZodType<Evidence>;

export const parseEvidence = (value: unknown): Evidence => evidenceSchema.parse(value);
