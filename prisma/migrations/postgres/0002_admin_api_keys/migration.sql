-- CreateTable
CREATE TABLE "admin_api_keys" (
    "id" TEXT NOT NULL,
    "developerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "keyHint" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "admin_api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "admin_api_keys_keyHash_key" ON "admin_api_keys"("keyHash");

-- CreateIndex
CREATE INDEX "admin_api_keys_developerId_idx" ON "admin_api_keys"("developerId");

-- AddForeignKey
ALTER TABLE "admin_api_keys" ADD CONSTRAINT "admin_api_keys_developerId_fkey" FOREIGN KEY ("developerId") REFERENCES "developers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

