-- AlterTable
ALTER TABLE "api_products" ADD COLUMN     "accessTokenFormat" TEXT NOT NULL DEFAULT 'opaque';

-- AlterTable
ALTER TABLE "id_token_records" ADD COLUMN     "authTime" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "consent_grants" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "userSub" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "consent_grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signing_keys" (
    "id" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "privateKeyCiphertext" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "slot" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "consent_grants_userSub_idx" ON "consent_grants"("userSub");

-- CreateIndex
CREATE UNIQUE INDEX "consent_grants_appId_userSub_key" ON "consent_grants"("appId", "userSub");

-- CreateIndex
CREATE UNIQUE INDEX "signing_keys_slot_key" ON "signing_keys"("slot");

-- AddForeignKey
ALTER TABLE "consent_grants" ADD CONSTRAINT "consent_grants_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

