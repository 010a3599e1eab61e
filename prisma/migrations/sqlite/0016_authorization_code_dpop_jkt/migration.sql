-- AlterTable
ALTER TABLE "authorization_codes" ADD COLUMN "dpopJkt" TEXT;

