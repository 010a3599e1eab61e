-- AlterTable
ALTER TABLE "access_tokens" ADD COLUMN "actor" TEXT;
ALTER TABLE "access_tokens" ADD COLUMN "dpopJkt" TEXT;

-- AlterTable
ALTER TABLE "refresh_tokens" ADD COLUMN "dpopJkt" TEXT;

-- CreateTable
CREATE TABLE "initial_access_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "products" TEXT NOT NULL DEFAULT '[]',
    "maxRegistrations" INTEGER,
    "registrations" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "initial_access_tokens_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "developers" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable: added columns only (rebuilding apps would delete the rows that cascade from it)
ALTER TABLE "apps" ADD COLUMN "requirePushedAuthorizationRequests" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "apps" ADD COLUMN "dpopBoundAccessTokens" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "apps" ADD COLUMN "tokenExchangeIssuers" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "apps" ADD COLUMN "registrationAccessTokenHash" TEXT;
ALTER TABLE "apps" ADD COLUMN "initialAccessTokenId" TEXT;
ALTER TABLE "apps" ADD COLUMN "clientMetadata" TEXT NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX "apps_registrationAccessTokenHash_key" ON "apps"("registrationAccessTokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "initial_access_tokens_tokenHash_key" ON "initial_access_tokens"("tokenHash");

-- CreateIndex
CREATE INDEX "initial_access_tokens_ownerId_idx" ON "initial_access_tokens"("ownerId");

