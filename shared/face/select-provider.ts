/**
 * Picks the face provider from configuration and imports only that implementation (the
 * local one pulls in tfjs and the models; the Azure one an HTTP client).
 *   FACE_PROVIDER = local (default) | azure
 *   FACE_ENDPOINT = https://<resource>.cognitiveservices.azure.com   (azure only)
 *   FACE_API_KEY  = optional; without it the managed identity is used  (azure only)
 */
import { z } from 'zod';
import type { FaceProvider } from './provider';

export const faceSettingsSchema = z.discriminatedUnion('FACE_PROVIDER', [
  z.object({ FACE_PROVIDER: z.literal('local') }),
  z.object({
    FACE_PROVIDER: z.literal('azure'),
    FACE_ENDPOINT: z.url({ message: 'FACE_ENDPOINT must be the Face resource URL' }),
    FACE_API_KEY: z.string().min(1).optional(),
  }),
]);

export type FaceSettings = z.infer<typeof faceSettingsSchema>;

/** Parses the face settings from an environment; fails fast naming the bad setting. */
export function readFaceSettings(env: NodeJS.ProcessEnv = process.env): FaceSettings {
  const parsed = faceSettingsSchema.safeParse({
    FACE_PROVIDER: env.FACE_PROVIDER ?? 'local',
    FACE_ENDPOINT: env.FACE_ENDPOINT || undefined,
    FACE_API_KEY: env.FACE_API_KEY || undefined,
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'FACE_PROVIDER'}: ${i.message}`).join('; ');
    throw new Error(`Invalid face settings: ${issues}`);
  }
  return parsed.data;
}

/** Builds the configured provider (models/clients still load lazily on first use). */
export async function selectFaceProvider(settings: FaceSettings = readFaceSettings()): Promise<FaceProvider> {
  if (settings.FACE_PROVIDER === 'azure') {
    const [{ createAzureFaceClient }, { createAzureFaceProvider }] = await Promise.all([
      import('./azure/face-client'), import('./azure/azure-provider'),
    ]);
    return createAzureFaceProvider(createAzureFaceClient({ endpoint: settings.FACE_ENDPOINT, apiKey: settings.FACE_API_KEY }));
  }
  const { createLocalFaceProvider } = await import('./local/local-provider');
  return createLocalFaceProvider();
}
