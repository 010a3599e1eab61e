-- AlterTable
ALTER TABLE "apps" ADD COLUMN "clientCertThumbprint" TEXT;

-- AlterTable
ALTER TABLE "access_tokens" ADD COLUMN "certificateThumbprint" TEXT;

