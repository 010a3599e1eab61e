-- AlterTable
ALTER TABLE "api_proxies" ADD COLUMN     "caseSensitivePaths" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "methodOverride" TEXT NOT NULL DEFAULT 'strip';

