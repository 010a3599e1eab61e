-- AlterTable
ALTER TABLE "api_proxies" ADD COLUMN     "upstream" TEXT NOT NULL DEFAULT '{}';

