-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_external_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "credentialId" TEXT,
    "userSub" TEXT,
    "issuer" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "products" TEXT NOT NULL DEFAULT '[]',
    "idTokenRecordId" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "external_tokens_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_external_tokens" ("appId", "createdAt", "expiresAt", "id", "issuer", "revokedAt", "scope", "tokenHash", "userSub") SELECT "appId", "createdAt", "expiresAt", "id", "issuer", "revokedAt", "scope", "tokenHash", "userSub" FROM "external_tokens";
DROP TABLE "external_tokens";
ALTER TABLE "new_external_tokens" RENAME TO "external_tokens";
CREATE UNIQUE INDEX "external_tokens_tokenHash_key" ON "external_tokens"("tokenHash");
CREATE INDEX "external_tokens_appId_idx" ON "external_tokens"("appId");
CREATE INDEX "external_tokens_credentialId_idx" ON "external_tokens"("credentialId");
CREATE INDEX "external_tokens_userSub_idx" ON "external_tokens"("userSub");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

