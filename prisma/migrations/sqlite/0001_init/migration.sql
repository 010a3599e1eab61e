-- CreateTable
CREATE TABLE "developers" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "oktaUserId" TEXT,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'developer',
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "suspendedAt" DATETIME
);

-- CreateTable
CREATE TABLE "admin_api_keys" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "developerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "keyHint" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "admin_api_keys_developerId_fkey" FOREIGN KEY ("developerId") REFERENCES "developers" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "apps" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "type" TEXT NOT NULL DEFAULT 'confidential',
    "redirectUris" TEXT NOT NULL DEFAULT '[]',
    "grantTypes" TEXT NOT NULL DEFAULT '["authorization_code","refresh_token"]',
    "status" TEXT NOT NULL DEFAULT 'active',
    "passwordGrantMode" TEXT,
    "implicitEnabled" BOOLEAN NOT NULL DEFAULT false,
    "skipConsent" BOOLEAN NOT NULL DEFAULT false,
    "oktaClientId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "apps_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "developers" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "credentials" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "appId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "secretHash" TEXT,
    "secretHint" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "expiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "credentials_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "api_products" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "scopes" TEXT NOT NULL DEFAULT '[]',
    "approvalType" TEXT NOT NULL DEFAULT 'auto',
    "visibility" TEXT NOT NULL DEFAULT 'public',
    "quotaLimit" INTEGER,
    "quotaIntervalSeconds" INTEGER,
    "quotaWindow" TEXT NOT NULL DEFAULT 'rolling',
    "accessTokenTtlSeconds" INTEGER NOT NULL DEFAULT 3600,
    "refreshTokenTtlSeconds" INTEGER NOT NULL DEFAULT 2592000,
    "refreshIdleTtlSeconds" INTEGER NOT NULL DEFAULT 604800,
    "credentialTtlSeconds" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "api_proxies" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "basePath" TEXT NOT NULL,
    "version" TEXT NOT NULL DEFAULT 'v1',
    "targetUrl" TEXT NOT NULL,
    "policies" TEXT NOT NULL DEFAULT '[]',
    "idTokenMode" TEXT NOT NULL DEFAULT 'none',
    "openApiSpec" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "product_proxies" (
    "productId" TEXT NOT NULL,
    "proxyId" TEXT NOT NULL,

    PRIMARY KEY ("productId", "proxyId"),
    CONSTRAINT "product_proxies_productId_fkey" FOREIGN KEY ("productId") REFERENCES "api_products" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "product_proxies_proxyId_fkey" FOREIGN KEY ("proxyId") REFERENCES "api_proxies" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "appId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "subscriptions_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "subscriptions_productId_fkey" FOREIGN KEY ("productId") REFERENCES "api_products" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "id_token_records" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userSub" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "authorization_codes" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "codeHash" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "credentialId" TEXT,
    "userSub" TEXT NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "codeChallenge" TEXT,
    "codeChallengeMethod" TEXT,
    "nonce" TEXT,
    "idTokenRecordId" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "consumedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "authorization_codes_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "authorization_codes_idTokenRecordId_fkey" FOREIGN KEY ("idTokenRecordId") REFERENCES "id_token_records" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "access_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "credentialId" TEXT,
    "userSub" TEXT,
    "scope" TEXT NOT NULL,
    "grantType" TEXT NOT NULL,
    "familyId" TEXT,
    "authCodeId" TEXT,
    "idTokenRecordId" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "access_tokens_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "access_tokens_idTokenRecordId_fkey" FOREIGN KEY ("idTokenRecordId") REFERENCES "id_token_records" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "refresh_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "credentialId" TEXT,
    "userSub" TEXT,
    "scope" TEXT NOT NULL,
    "familyId" TEXT NOT NULL,
    "parentId" TEXT,
    "authCodeId" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "idleExpiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "refresh_tokens_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "external_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "userSub" TEXT,
    "issuer" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "external_tokens_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "analytics_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requestId" TEXT NOT NULL,
    "proxyId" TEXT,
    "productId" TEXT,
    "appId" TEXT,
    "developerId" TEXT,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "upstreamLatencyMs" INTEGER,
    "clientIp" TEXT,
    "authenticated" BOOLEAN NOT NULL DEFAULT false,
    "tls" BOOLEAN NOT NULL DEFAULT false,
    "bot" TEXT,
    "blockedBy" TEXT
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorType" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "details" TEXT NOT NULL DEFAULT '{}',
    "ip" TEXT,
    "requestId" TEXT
);

-- CreateTable
CREATE TABLE "security_rules" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" TEXT NOT NULL DEFAULT '{}',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "developers_oktaUserId_key" ON "developers"("oktaUserId");

-- CreateIndex
CREATE UNIQUE INDEX "developers_email_key" ON "developers"("email");

-- CreateIndex
CREATE UNIQUE INDEX "admin_api_keys_keyHash_key" ON "admin_api_keys"("keyHash");

-- CreateIndex
CREATE INDEX "admin_api_keys_developerId_idx" ON "admin_api_keys"("developerId");

-- CreateIndex
CREATE UNIQUE INDEX "apps_oktaClientId_key" ON "apps"("oktaClientId");

-- CreateIndex
CREATE INDEX "apps_ownerId_idx" ON "apps"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "credentials_clientId_key" ON "credentials"("clientId");

-- CreateIndex
CREATE INDEX "credentials_appId_idx" ON "credentials"("appId");

-- CreateIndex
CREATE UNIQUE INDEX "api_products_slug_key" ON "api_products"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "api_proxies_basePath_version_key" ON "api_proxies"("basePath", "version");

-- CreateIndex
CREATE INDEX "subscriptions_productId_status_idx" ON "subscriptions"("productId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_appId_productId_key" ON "subscriptions"("appId", "productId");

-- CreateIndex
CREATE INDEX "id_token_records_userSub_idx" ON "id_token_records"("userSub");

-- CreateIndex
CREATE UNIQUE INDEX "authorization_codes_codeHash_key" ON "authorization_codes"("codeHash");

-- CreateIndex
CREATE INDEX "authorization_codes_appId_idx" ON "authorization_codes"("appId");

-- CreateIndex
CREATE UNIQUE INDEX "access_tokens_tokenHash_key" ON "access_tokens"("tokenHash");

-- CreateIndex
CREATE INDEX "access_tokens_appId_idx" ON "access_tokens"("appId");

-- CreateIndex
CREATE INDEX "access_tokens_userSub_idx" ON "access_tokens"("userSub");

-- CreateIndex
CREATE INDEX "access_tokens_familyId_idx" ON "access_tokens"("familyId");

-- CreateIndex
CREATE INDEX "access_tokens_authCodeId_idx" ON "access_tokens"("authCodeId");

-- CreateIndex
CREATE INDEX "access_tokens_expiresAt_idx" ON "access_tokens"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "refresh_tokens_tokenHash_key" ON "refresh_tokens"("tokenHash");

-- CreateIndex
CREATE INDEX "refresh_tokens_appId_idx" ON "refresh_tokens"("appId");

-- CreateIndex
CREATE INDEX "refresh_tokens_familyId_idx" ON "refresh_tokens"("familyId");

-- CreateIndex
CREATE INDEX "refresh_tokens_userSub_idx" ON "refresh_tokens"("userSub");

-- CreateIndex
CREATE UNIQUE INDEX "external_tokens_tokenHash_key" ON "external_tokens"("tokenHash");

-- CreateIndex
CREATE INDEX "external_tokens_appId_idx" ON "external_tokens"("appId");

-- CreateIndex
CREATE INDEX "analytics_events_at_idx" ON "analytics_events"("at");

-- CreateIndex
CREATE INDEX "analytics_events_appId_at_idx" ON "analytics_events"("appId", "at");

-- CreateIndex
CREATE INDEX "analytics_events_proxyId_at_idx" ON "analytics_events"("proxyId", "at");

-- CreateIndex
CREATE INDEX "audit_events_createdAt_idx" ON "audit_events"("createdAt");

-- CreateIndex
CREATE INDEX "audit_events_targetType_targetId_idx" ON "audit_events"("targetType", "targetId");

-- CreateIndex
CREATE INDEX "security_rules_kind_enabled_idx" ON "security_rules"("kind", "enabled");

