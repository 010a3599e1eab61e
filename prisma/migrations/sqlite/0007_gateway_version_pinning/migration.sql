-- Gateway: a version served to chosen apps only (ADD COLUMN: a rebuild of api_proxies would
-- cascade-delete product_proxies inside the runner's transaction).
ALTER TABLE "api_proxies" ADD COLUMN "pinnedAppIds" TEXT NOT NULL DEFAULT '[]';
