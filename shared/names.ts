/**
 * Every function, queue, container and orchestration name, used both where a
 * thing is registered and where it is called, so the two cannot drift apart.
 * Bicep declares the same queues and containers (tests/unit/infra keeps them in step).
 */

/** Service Bus queues. */
export const QUEUES = {
  /** Video selfies waiting for frame extraction. */
  frames: 'frames',
  /** Images (and extracted frames) waiting for face work. */
  faces: 'faces',
  /** Orders waiting for assignment. */
  orders: 'orders',
  /** Signed webhook deliveries, retried with scheduled messages. */
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Blob containers. */
export const BLOB_CONTAINERS = {
  /** KYC media under `{tenantId}/{verificationId}/`. */
  kycMedia: 'kyc-media',
  /** Payment receipts under `{tenantId}/{orderId}/`. */
  receipts: 'receipts',
} as const;

/** Cosmos DB containers; partition keys in `shared/platform/cosmos-containers.ts`. */
export const COSMOS_CONTAINERS = {
  settings: 'settings',
  tenants: 'tenants',
  verifications: 'verifications',
  idempotency: 'idempotency',
  merchants: 'merchants',
  traders: 'traders',
  requisites: 'requisites',
  orders: 'orders',
  ledger: 'ledger',
  balances: 'balances',
  referenceData: 'reference-data',
  audit: 'audit',
  webhooks: 'webhooks',
  erasures: 'erasures',
  rateLimits: 'rate-limits',
  /** Active liveness challenges (short-lived, single-use), per tenant. */
  kycChallenges: 'kyc-challenges',
  /** Capture-page sessions: hashed one-verification tokens (TTL). */
  verificationSessions: 'verification-sessions',
} as const;
export type CosmosContainerName = (typeof COSMOS_CONTAINERS)[keyof typeof COSMOS_CONTAINERS];

/** App settings that bindings refer to by name (never literal values). */
export const CONNECTIONS = {
  storage: 'AzureWebJobsStorage',
  serviceBus: 'ServiceBusConnection',
} as const;

/** Function names (as registered and as the blob Event Grid subscription names them). */
export const FUNCTIONS = {
  health: 'health',
  createVerification: 'createVerification',
  getVerification: 'getVerification',
  startLivenessSession: 'startLivenessSession',
  kycMediaUploaded: 'kycMediaUploaded',
  extractVerificationFrames: 'extractVerificationFrames',
  matchVerificationFaces: 'matchVerificationFaces',
  deliverWebhooks: 'deliverWebhooks',
  getSetting: 'getSetting',
  putSetting: 'putSetting',
  createPayin: 'createPayin',
  getPayin: 'getPayin',
  confirmPayin: 'confirmPayin',
  confirmPayout: 'confirmPayout',
  createPayout: 'createPayout',
  getPayout: 'getPayout',
  listTraderOrders: 'listTraderOrders',
  traderConfirmOrder: 'traderConfirmOrder',
  traderCancelOrder: 'traderCancelOrder',
  disputeOrder: 'disputeOrder',
  resolveOrder: 'resolveOrder',
  processOrder: 'processOrder',
  sweepUnpickedOrders: 'sweepUnpickedOrders',
  expireDueOrders: 'expireDueOrders',
  orderLifecycle: 'orderLifecycle',
  orderAssignActivity: 'orderAssignActivity',
  orderFailActivity: 'orderFailActivity',
  orderExpireActivity: 'orderExpireActivity',
  orderSyncActivity: 'orderSyncActivity',
  orderNotifyActivity: 'orderNotifyActivity',
  // Order engine: traders' requisites, team leads, admins.
  listOwnRequisites: 'listOwnRequisites',
  createOwnRequisite: 'createOwnRequisite',
  updateOwnRequisite: 'updateOwnRequisite',
  listTeamTraders: 'listTeamTraders',
  setTraderPriority: 'setTraderPriority',
  teamTraderStats: 'teamTraderStats',
  adminListUsers: 'adminListUsers',
  adminPutUser: 'adminPutUser',
  adminListRequisites: 'adminListRequisites',
  adminPutRequisite: 'adminPutRequisite',
  listSupportOrders: 'listSupportOrders',
  uploadOrderReceipt: 'uploadOrderReceipt',
  // Privacy: retention, erasure, export, audit.
  deleteVerification: 'deleteVerification',
  createErasure: 'createErasure',
  getErasure: 'getErasure',
  exportSubjectData: 'exportSubjectData',
  listAudit: 'listAudit',
  retentionSweep: 'retentionSweep',
  verificationRetention: 'verificationRetention',
  subjectErasure: 'subjectErasure',
  eraseVerificationMediaActivity: 'eraseVerificationMediaActivity',
  eraseVerificationRecordActivity: 'eraseVerificationRecordActivity',
  eraseSubjectActivity: 'eraseSubjectActivity',
  anonymiseOrdersActivity: 'anonymiseOrdersActivity',
  recordErasureActivity: 'recordErasureActivity',
  erasureRedrive: 'erasureRedrive',
  auditPurge: 'auditPurge',
  failStalledVerifications: 'failStalledVerifications',
  // Review desk: people settle `review` cases.
  listReviewCases: 'listReviewCases',
  getReviewCase: 'getReviewCase',
  decideReviewCase: 'decideReviewCase',
  reportOverdueReviews: 'reportOverdueReviews',
  redriveReviewAnnouncements: 'redriveReviewAnnouncements',
  // Onboarding: tenants and their API keys (platform admins).
  adminCreateTenant: 'adminCreateTenant',
  adminListTenants: 'adminListTenants',
  adminGetTenant: 'adminGetTenant',
  adminListApiKeys: 'adminListApiKeys',
  adminCreateApiKey: 'adminCreateApiKey',
  adminRevokeApiKey: 'adminRevokeApiKey',
  // Active liveness challenges and the tenant's KYC policy.
  createLivenessChallenge: 'createLivenessChallenge',
  getTenantKycPolicy: 'getTenantKycPolicy',
  putTenantKycPolicy: 'putTenantKycPolicy',
  // Orders, issue 10: neutral staff, payer gateway, merchant self-service, admin money.
  reviewOrder: 'reviewOrder',
  payerInit: 'payerInit',
  payerStatus: 'payerStatus',
  payerConfirm: 'payerConfirm',
  merchantListOrders: 'merchantListOrders',
  merchantCancelPayin: 'merchantCancelPayin',
  merchantDisputeOrder: 'merchantDisputeOrder',
  merchantBalances: 'merchantBalances',
  merchantBalanceHistory: 'merchantBalanceHistory',
  merchantStatement: 'merchantStatement',
  traderOrderDetails: 'traderOrderDetails',
  adminPutStore: 'adminPutStore',
  adminListStores: 'adminListStores',
  adminReconciliation: 'adminReconciliation',
  reconcileLedgerTimer: 'reconcileLedgerTimer',
  adminTraderDeposit: 'adminTraderDeposit',
  adminPutReferenceData: 'adminPutReferenceData',
  // Integrators: webhook endpoints, delivery log, OpenAPI, capture page.
  listWebhookEndpoints: 'listWebhookEndpoints',
  createWebhookEndpoint: 'createWebhookEndpoint',
  getWebhookEndpoint: 'getWebhookEndpoint',
  updateWebhookEndpoint: 'updateWebhookEndpoint',
  deleteWebhookEndpoint: 'deleteWebhookEndpoint',
  rotateWebhookSecret: 'rotateWebhookSecret',
  listWebhookDeliveries: 'listWebhookDeliveries',
  getWebhookDelivery: 'getWebhookDelivery',
  resendWebhookDelivery: 'resendWebhookDelivery',
  openApiDocument: 'openApiDocument',
  apiDocs: 'apiDocs',
  apiDocsAsset: 'apiDocsAsset',
  capturePage: 'capturePage',
  createVerificationSession: 'createVerificationSession',
  getCurrentVerificationSession: 'getCurrentVerificationSession',
  adminListReferenceData: 'adminListReferenceData',
} as const;
