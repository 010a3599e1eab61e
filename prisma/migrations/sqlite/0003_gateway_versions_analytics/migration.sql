-- AlterTable
ALTER TABLE "api_proxies" ADD COLUMN "deprecatedAt" DATETIME;
ALTER TABLE "api_proxies" ADD COLUMN "deprecationLink" TEXT;
ALTER TABLE "api_proxies" ADD COLUMN "sunsetAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_analytics_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requestId" TEXT NOT NULL,
    "proxyId" TEXT,
    "version" TEXT,
    "productId" TEXT,
    "appId" TEXT,
    "developerId" TEXT,
    "userSub" TEXT,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "upstreamLatencyMs" INTEGER,
    "bytesIn" INTEGER NOT NULL DEFAULT 0,
    "bytesOut" INTEGER NOT NULL DEFAULT 0,
    "clientIp" TEXT,
    "authenticated" BOOLEAN NOT NULL DEFAULT false,
    "authKind" TEXT,
    "tls" BOOLEAN NOT NULL DEFAULT false,
    "bot" TEXT,
    "blockedBy" TEXT
);
INSERT INTO "new_analytics_events" ("appId", "at", "authenticated", "blockedBy", "bot", "clientIp", "developerId", "id", "latencyMs", "method", "path", "productId", "proxyId", "requestId", "status", "tls", "upstreamLatencyMs") SELECT "appId", "at", "authenticated", "blockedBy", "bot", "clientIp", "developerId", "id", "latencyMs", "method", "path", "productId", "proxyId", "requestId", "status", "tls", "upstreamLatencyMs" FROM "analytics_events";
DROP TABLE "analytics_events";
ALTER TABLE "new_analytics_events" RENAME TO "analytics_events";
CREATE INDEX "analytics_events_at_idx" ON "analytics_events"("at");
CREATE INDEX "analytics_events_appId_at_idx" ON "analytics_events"("appId", "at");
CREATE INDEX "analytics_events_proxyId_at_idx" ON "analytics_events"("proxyId", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

