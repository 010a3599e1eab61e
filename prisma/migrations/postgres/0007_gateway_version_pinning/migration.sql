-- AlterTable
ALTER TABLE "api_proxies" ADD COLUMN     "pinnedAppIds" TEXT NOT NULL DEFAULT '[]';

