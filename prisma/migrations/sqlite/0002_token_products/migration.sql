-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_access_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "credentialId" TEXT,
    "userSub" TEXT,
    "scope" TEXT NOT NULL,
    "products" TEXT NOT NULL DEFAULT '[]',
    "attributes" TEXT NOT NULL DEFAULT '{}',
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
INSERT INTO "new_access_tokens" ("appId", "authCodeId", "createdAt", "credentialId", "expiresAt", "familyId", "grantType", "id", "idTokenRecordId", "revokedAt", "scope", "tokenHash", "userSub") SELECT "appId", "authCodeId", "createdAt", "credentialId", "expiresAt", "familyId", "grantType", "id", "idTokenRecordId", "revokedAt", "scope", "tokenHash", "userSub" FROM "access_tokens";
DROP TABLE "access_tokens";
ALTER TABLE "new_access_tokens" RENAME TO "access_tokens";
CREATE UNIQUE INDEX "access_tokens_tokenHash_key" ON "access_tokens"("tokenHash");
CREATE INDEX "access_tokens_appId_idx" ON "access_tokens"("appId");
CREATE INDEX "access_tokens_userSub_idx" ON "access_tokens"("userSub");
CREATE INDEX "access_tokens_familyId_idx" ON "access_tokens"("familyId");
CREATE INDEX "access_tokens_authCodeId_idx" ON "access_tokens"("authCodeId");
CREATE INDEX "access_tokens_expiresAt_idx" ON "access_tokens"("expiresAt");
CREATE TABLE "new_refresh_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "credentialId" TEXT,
    "userSub" TEXT,
    "scope" TEXT NOT NULL,
    "products" TEXT NOT NULL DEFAULT '[]',
    "familyId" TEXT NOT NULL,
    "parentId" TEXT,
    "idTokenRecordId" TEXT,
    "authCodeId" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "idleExpiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "refresh_tokens_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_refresh_tokens" ("appId", "authCodeId", "createdAt", "credentialId", "expiresAt", "familyId", "id", "idleExpiresAt", "parentId", "revokedAt", "scope", "tokenHash", "usedAt", "userSub") SELECT "appId", "authCodeId", "createdAt", "credentialId", "expiresAt", "familyId", "id", "idleExpiresAt", "parentId", "revokedAt", "scope", "tokenHash", "usedAt", "userSub" FROM "refresh_tokens";
DROP TABLE "refresh_tokens";
ALTER TABLE "new_refresh_tokens" RENAME TO "refresh_tokens";
CREATE UNIQUE INDEX "refresh_tokens_tokenHash_key" ON "refresh_tokens"("tokenHash");
CREATE INDEX "refresh_tokens_appId_idx" ON "refresh_tokens"("appId");
CREATE INDEX "refresh_tokens_familyId_idx" ON "refresh_tokens"("familyId");
CREATE INDEX "refresh_tokens_userSub_idx" ON "refresh_tokens"("userSub");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

