-- AlterTable
ALTER TABLE "external_tokens" ADD COLUMN     "credentialId" TEXT,
ADD COLUMN     "idTokenRecordId" TEXT,
ADD COLUMN     "products" TEXT NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE INDEX "external_tokens_credentialId_idx" ON "external_tokens"("credentialId");

-- CreateIndex
CREATE INDEX "external_tokens_userSub_idx" ON "external_tokens"("userSub");

