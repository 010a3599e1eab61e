-- AlterTable: added column only (rebuilding api_proxies would delete the rows that cascade from it)
ALTER TABLE "api_proxies" ADD COLUMN "upstream" TEXT NOT NULL DEFAULT '{}';
