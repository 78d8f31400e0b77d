/** The app's entry (package.json `main`): setup first, then one trigger group per file. */
import './setup';
import './health';
import './verifications';
import './verification-liveness';
import './kyc-media';
import './kyc-frames';
import './kyc-faces';
import './webhooks';
import './settings';
import './local-seed';
import './orders';
import './order-staff';
import './order-processing';
import './order-orchestration';
