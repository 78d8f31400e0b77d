/**
 * The Azure AI Face provider: `/detect` (detection_03 + recognition_04, faceIds and
 * qualityForRecognition) and `/verify` (face to face). Azure has no passive single-image
 * liveness; selfie liveness on Azure is the mobile liveness-with-verify session
 * (liveness-session.ts).
 */
import { isUnexpected } from '@azure-rest/ai-vision-face';
import sharp from 'sharp';
import type { DetectedFace, FaceProvider, FaceQuality, FaceRef, ImageAnalysis } from '../provider';
import type { FaceClient } from './face-client';
import { azureFaceError } from './azure-error';

/** detection_03 supports only these attributes; qualityForRecognition needs recognition_03/04. */
export const DETECT_ATTRIBUTES = ['qualityForRecognition', 'headPose', 'mask'] as const;

/** How long Azure keeps a faceId: one verification needs minutes, not the 24 h default. */
export const FACE_ID_TTL_SECONDS = 600;

const QUALITY: Record<string, FaceQuality> = { high: 'high', medium: 'medium', low: 'low' };

function faceIdOf(ref: FaceRef): string {
  if (ref.provider !== 'azure') throw new Error('Azure provider got a face reference from another provider');
  return ref.faceId;
}

export function createAzureFaceProvider(client: FaceClient): FaceProvider {
  return {
    name: 'azure',
    async analyseImage(image: Buffer): Promise<ImageAnalysis> {
      const { width = 0, height = 0 } = await sharp(image, { failOn: 'none' }).metadata();
      const response = await client.path('/detect').post({
        contentType: 'application/octet-stream',
        body: image,
        queryParameters: {
          detectionModel: 'detection_03',
          recognitionModel: 'recognition_04',
          returnFaceId: true,
          returnFaceLandmarks: false,
          returnFaceAttributes: [...DETECT_ATTRIBUTES],
          faceIdTimeToLive: FACE_ID_TTL_SECONDS,
        },
      });
      if (isUnexpected(response)) {
        // An image Azure finds no face in is not an error; a bad image is (the media step should have caught it).
        throw azureFaceError('detect', response);
      }
      const faces: DetectedFace[] = response.body.filter((f) => f.faceId).map((f) => {
        const r = f.faceRectangle;
        const quality = QUALITY[f.faceAttributes?.qualityForRecognition ?? ''] ?? 'low';
        return {
          box: { x: r.left, y: r.top, width: r.width, height: r.height },
          // detection_03 returns only faces above its own threshold and reports no score.
          detectionScore: 1,
          quality,
          qualitySignals: { sizePx: Math.min(r.width, r.height), ...headPose(f.faceAttributes?.headPose) },
          faceRef: { provider: 'azure', faceId: f.faceId! },
        };
      });
      faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
      return { width, height, faces };
    },
    async similarity(a: FaceRef, b: FaceRef): Promise<number> {
      const response = await client.path('/verify').post({ body: { faceId1: faceIdOf(a), faceId2: faceIdOf(b) } });
      if (isUnexpected(response)) throw azureFaceError('verify', response);
      // Azure's confidence is already in [0, 1] with isIdentical at 0.5: the scale our thresholds use.
      return response.body.confidence;
    },
    async passiveLiveness(): Promise<null> {
      return null;
    },
  };
}

function headPose(pose: { pitch: number; roll: number; yaw: number } | undefined): Record<string, number> {
  return pose ? { pitch: pose.pitch, roll: pose.roll, yaw: pose.yaw } : {};
}
