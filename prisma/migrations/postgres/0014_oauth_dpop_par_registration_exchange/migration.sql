-- AlterTable
ALTER TABLE "apps" ADD COLUMN     "clientMetadata" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "dpopBoundAccessTokens" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "initialAccessTokenId" TEXT,
ADD COLUMN     "registrationAccessTokenHash" TEXT,
ADD COLUMN     "requirePushedAuthorizationRequests" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tokenExchangeIssuers" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "access_tokens" ADD COLUMN     "actor" TEXT,
ADD COLUMN     "dpopJkt" TEXT;

-- AlterTable
ALTER TABLE "refresh_tokens" ADD COLUMN     "dpopJkt" TEXT;

-- CreateTable
CREATE TABLE "initial_access_tokens" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "products" TEXT NOT NULL DEFAULT '[]',
    "maxRegistrations" INTEGER,
    "registrations" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "initial_access_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "initial_access_tokens_tokenHash_key" ON "initial_access_tokens"("tokenHash");

-- CreateIndex
CREATE INDEX "initial_access_tokens_ownerId_idx" ON "initial_access_tokens"("ownerId");

-- CreateIndex
CREATE UNIQUE INDEX "apps_registrationAccessTokenHash_key" ON "apps"("registrationAccessTokenHash");

-- AddForeignKey
ALTER TABLE "initial_access_tokens" ADD CONSTRAINT "initial_access_tokens_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "developers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

