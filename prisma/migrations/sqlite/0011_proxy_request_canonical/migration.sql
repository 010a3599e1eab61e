-- AlterTable (ADD COLUMN, not a table rebuild: rebuilding api_proxies would cascade to product_proxies)
ALTER TABLE "api_proxies" ADD COLUMN "caseSensitivePaths" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "api_proxies" ADD COLUMN "methodOverride" TEXT NOT NULL DEFAULT 'strip';
