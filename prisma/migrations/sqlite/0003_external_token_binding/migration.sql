-- External tokens learn the credential, products and id token they stand for. Plain
-- ADD COLUMN: a table rebuild is never needed for new nullable or defaulted columns.
ALTER TABLE "external_tokens" ADD COLUMN "credentialId" TEXT;
ALTER TABLE "external_tokens" ADD COLUMN "products" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "external_tokens" ADD COLUMN "idTokenRecordId" TEXT;

-- CreateIndex
CREATE INDEX "external_tokens_credentialId_idx" ON "external_tokens"("credentialId");

-- CreateIndex
CREATE INDEX "external_tokens_userSub_idx" ON "external_tokens"("userSub");
