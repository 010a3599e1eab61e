-- Analytics: hourly rollups written by the analytics writer with the events (lib/analytics/rollup.ts),
-- and backfilled here from the events already stored. Plain CREATE TABLE: nothing is rebuilt.
-- CreateTable
CREATE TABLE "analytics_hourly" (
    "hour" BIGINT NOT NULL,
    "proxyId" TEXT NOT NULL DEFAULT '',
    "appId" TEXT NOT NULL DEFAULT '',
    "developerId" TEXT NOT NULL DEFAULT '',
    "status" INTEGER NOT NULL,
    "blockedBy" TEXT NOT NULL DEFAULT '',
    "calls" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "bots" INTEGER NOT NULL DEFAULT 0,
    "tls" INTEGER NOT NULL DEFAULT 0,
    "authenticated" INTEGER NOT NULL DEFAULT 0,
    "bytesIn" BIGINT NOT NULL DEFAULT 0,
    "bytesOut" BIGINT NOT NULL DEFAULT 0,
    "latencySum" BIGINT NOT NULL DEFAULT 0,
    "latencyMax" INTEGER NOT NULL DEFAULT 0,
    "h00" INTEGER NOT NULL DEFAULT 0,
    "h01" INTEGER NOT NULL DEFAULT 0,
    "h02" INTEGER NOT NULL DEFAULT 0,
    "h03" INTEGER NOT NULL DEFAULT 0,
    "h04" INTEGER NOT NULL DEFAULT 0,
    "h05" INTEGER NOT NULL DEFAULT 0,
    "h06" INTEGER NOT NULL DEFAULT 0,
    "h07" INTEGER NOT NULL DEFAULT 0,
    "h08" INTEGER NOT NULL DEFAULT 0,
    "h09" INTEGER NOT NULL DEFAULT 0,
    "h10" INTEGER NOT NULL DEFAULT 0,
    "h11" INTEGER NOT NULL DEFAULT 0,
    "h12" INTEGER NOT NULL DEFAULT 0,
    "h13" INTEGER NOT NULL DEFAULT 0,
    "h14" INTEGER NOT NULL DEFAULT 0,
    "h15" INTEGER NOT NULL DEFAULT 0,
    "h16" INTEGER NOT NULL DEFAULT 0,
    "h17" INTEGER NOT NULL DEFAULT 0,
    "h18" INTEGER NOT NULL DEFAULT 0,
    "h19" INTEGER NOT NULL DEFAULT 0,
    "h20" INTEGER NOT NULL DEFAULT 0,
    "h21" INTEGER NOT NULL DEFAULT 0,
    "h22" INTEGER NOT NULL DEFAULT 0,
    "h23" INTEGER NOT NULL DEFAULT 0,
    "h24" INTEGER NOT NULL DEFAULT 0,
    "h25" INTEGER NOT NULL DEFAULT 0,
    "h26" INTEGER NOT NULL DEFAULT 0,
    "h27" INTEGER NOT NULL DEFAULT 0,
    "h28" INTEGER NOT NULL DEFAULT 0,
    "h29" INTEGER NOT NULL DEFAULT 0,
    "h30" INTEGER NOT NULL DEFAULT 0,
    "h31" INTEGER NOT NULL DEFAULT 0,
    "h32" INTEGER NOT NULL DEFAULT 0,
    "h33" INTEGER NOT NULL DEFAULT 0,
    "h34" INTEGER NOT NULL DEFAULT 0,
    "h35" INTEGER NOT NULL DEFAULT 0,
    "h36" INTEGER NOT NULL DEFAULT 0,
    "h37" INTEGER NOT NULL DEFAULT 0,
    "h38" INTEGER NOT NULL DEFAULT 0,
    "h39" INTEGER NOT NULL DEFAULT 0,
    "h40" INTEGER NOT NULL DEFAULT 0,
    "h41" INTEGER NOT NULL DEFAULT 0,
    "h42" INTEGER NOT NULL DEFAULT 0,
    "h43" INTEGER NOT NULL DEFAULT 0,
    "h44" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("hour", "proxyId", "appId", "developerId", "status", "blockedBy")
);

-- CreateTable
CREATE TABLE "analytics_hourly_proxies" (
    "hour" BIGINT NOT NULL,
    "proxyId" TEXT NOT NULL DEFAULT '',
    "status" INTEGER NOT NULL,
    "blockedBy" TEXT NOT NULL DEFAULT '',
    "calls" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "bots" INTEGER NOT NULL DEFAULT 0,
    "tls" INTEGER NOT NULL DEFAULT 0,
    "authenticated" INTEGER NOT NULL DEFAULT 0,
    "bytesIn" BIGINT NOT NULL DEFAULT 0,
    "bytesOut" BIGINT NOT NULL DEFAULT 0,
    "latencySum" BIGINT NOT NULL DEFAULT 0,
    "latencyMax" INTEGER NOT NULL DEFAULT 0,
    "h00" INTEGER NOT NULL DEFAULT 0,
    "h01" INTEGER NOT NULL DEFAULT 0,
    "h02" INTEGER NOT NULL DEFAULT 0,
    "h03" INTEGER NOT NULL DEFAULT 0,
    "h04" INTEGER NOT NULL DEFAULT 0,
    "h05" INTEGER NOT NULL DEFAULT 0,
    "h06" INTEGER NOT NULL DEFAULT 0,
    "h07" INTEGER NOT NULL DEFAULT 0,
    "h08" INTEGER NOT NULL DEFAULT 0,
    "h09" INTEGER NOT NULL DEFAULT 0,
    "h10" INTEGER NOT NULL DEFAULT 0,
    "h11" INTEGER NOT NULL DEFAULT 0,
    "h12" INTEGER NOT NULL DEFAULT 0,
    "h13" INTEGER NOT NULL DEFAULT 0,
    "h14" INTEGER NOT NULL DEFAULT 0,
    "h15" INTEGER NOT NULL DEFAULT 0,
    "h16" INTEGER NOT NULL DEFAULT 0,
    "h17" INTEGER NOT NULL DEFAULT 0,
    "h18" INTEGER NOT NULL DEFAULT 0,
    "h19" INTEGER NOT NULL DEFAULT 0,
    "h20" INTEGER NOT NULL DEFAULT 0,
    "h21" INTEGER NOT NULL DEFAULT 0,
    "h22" INTEGER NOT NULL DEFAULT 0,
    "h23" INTEGER NOT NULL DEFAULT 0,
    "h24" INTEGER NOT NULL DEFAULT 0,
    "h25" INTEGER NOT NULL DEFAULT 0,
    "h26" INTEGER NOT NULL DEFAULT 0,
    "h27" INTEGER NOT NULL DEFAULT 0,
    "h28" INTEGER NOT NULL DEFAULT 0,
    "h29" INTEGER NOT NULL DEFAULT 0,
    "h30" INTEGER NOT NULL DEFAULT 0,
    "h31" INTEGER NOT NULL DEFAULT 0,
    "h32" INTEGER NOT NULL DEFAULT 0,
    "h33" INTEGER NOT NULL DEFAULT 0,
    "h34" INTEGER NOT NULL DEFAULT 0,
    "h35" INTEGER NOT NULL DEFAULT 0,
    "h36" INTEGER NOT NULL DEFAULT 0,
    "h37" INTEGER NOT NULL DEFAULT 0,
    "h38" INTEGER NOT NULL DEFAULT 0,
    "h39" INTEGER NOT NULL DEFAULT 0,
    "h40" INTEGER NOT NULL DEFAULT 0,
    "h41" INTEGER NOT NULL DEFAULT 0,
    "h42" INTEGER NOT NULL DEFAULT 0,
    "h43" INTEGER NOT NULL DEFAULT 0,
    "h44" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("hour", "proxyId", "status", "blockedBy")
);

-- CreateTable
CREATE TABLE "analytics_hourly_apps" (
    "hour" BIGINT NOT NULL,
    "appId" TEXT NOT NULL DEFAULT '',
    "developerId" TEXT NOT NULL DEFAULT '',
    "calls" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "bots" INTEGER NOT NULL DEFAULT 0,
    "tls" INTEGER NOT NULL DEFAULT 0,
    "authenticated" INTEGER NOT NULL DEFAULT 0,
    "bytesIn" BIGINT NOT NULL DEFAULT 0,
    "bytesOut" BIGINT NOT NULL DEFAULT 0,
    "latencySum" BIGINT NOT NULL DEFAULT 0,
    "latencyMax" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("hour", "appId", "developerId")
);

-- CreateIndex
CREATE INDEX "analytics_hourly_appId_hour_idx" ON "analytics_hourly"("appId", "hour");

-- CreateIndex
CREATE INDEX "analytics_hourly_proxyId_hour_idx" ON "analytics_hourly"("proxyId", "hour");


-- Backfill: analytics_hourly from the events already stored.
INSERT INTO "analytics_hourly" ("hour", "proxyId", "appId", "developerId", "status", "blockedBy", "calls", "errors", "bots", "tls", "authenticated", "bytesIn", "bytesOut", "latencySum", "latencyMax", "h00", "h01", "h02", "h03", "h04", "h05", "h06", "h07", "h08", "h09", "h10", "h11", "h12", "h13", "h14", "h15", "h16", "h17", "h18", "h19", "h20", "h21", "h22", "h23", "h24", "h25", "h26", "h27", "h28", "h29", "h30", "h31", "h32", "h33", "h34", "h35", "h36", "h37", "h38", "h39", "h40", "h41", "h42", "h43", "h44") SELECT (CAST(strftime('%s', substr("at", 1, 19)) AS INTEGER) / 3600) * 3600, COALESCE("proxyId", ''), COALESCE("appId", ''), COALESCE("developerId", ''), "status", COALESCE("blockedBy", ''), COUNT(*), SUM(CASE WHEN "status" >= 400 THEN 1 ELSE 0 END), SUM(CASE WHEN "bot" IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN "tls" THEN 1 ELSE 0 END), SUM(CASE WHEN "authenticated" THEN 1 ELSE 0 END), SUM("bytesIn"), SUM("bytesOut"), SUM("latencyMs"), MAX("latencyMs"), SUM(CASE WHEN "latencyMs" < 1 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 1 AND "latencyMs" < 2 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 2 AND "latencyMs" < 3 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 3 AND "latencyMs" < 4 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 4 AND "latencyMs" < 5 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 5 AND "latencyMs" < 6 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 6 AND "latencyMs" < 7 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 7 AND "latencyMs" < 8 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 8 AND "latencyMs" < 9 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 9 AND "latencyMs" < 10 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 10 AND "latencyMs" < 12 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 12 AND "latencyMs" < 15 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 15 AND "latencyMs" < 20 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 20 AND "latencyMs" < 25 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 25 AND "latencyMs" < 30 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 30 AND "latencyMs" < 40 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 40 AND "latencyMs" < 50 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 50 AND "latencyMs" < 60 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 60 AND "latencyMs" < 80 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 80 AND "latencyMs" < 100 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 100 AND "latencyMs" < 120 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 120 AND "latencyMs" < 150 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 150 AND "latencyMs" < 200 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 200 AND "latencyMs" < 250 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 250 AND "latencyMs" < 300 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 300 AND "latencyMs" < 400 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 400 AND "latencyMs" < 500 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 500 AND "latencyMs" < 600 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 600 AND "latencyMs" < 800 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 800 AND "latencyMs" < 1000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 1000 AND "latencyMs" < 1200 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 1200 AND "latencyMs" < 1500 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 1500 AND "latencyMs" < 2000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 2000 AND "latencyMs" < 2500 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 2500 AND "latencyMs" < 3000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 3000 AND "latencyMs" < 4000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 4000 AND "latencyMs" < 5000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 5000 AND "latencyMs" < 6000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 6000 AND "latencyMs" < 8000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 8000 AND "latencyMs" < 10000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 10000 AND "latencyMs" < 15000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 15000 AND "latencyMs" < 20000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 20000 AND "latencyMs" < 30000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 30000 AND "latencyMs" < 60000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 60000 THEN 1 ELSE 0 END) FROM "analytics_events" GROUP BY 1, 2, 3, 4, 5, 6;

-- Backfill: analytics_hourly_proxies from the events already stored.
INSERT INTO "analytics_hourly_proxies" ("hour", "proxyId", "status", "blockedBy", "calls", "errors", "bots", "tls", "authenticated", "bytesIn", "bytesOut", "latencySum", "latencyMax", "h00", "h01", "h02", "h03", "h04", "h05", "h06", "h07", "h08", "h09", "h10", "h11", "h12", "h13", "h14", "h15", "h16", "h17", "h18", "h19", "h20", "h21", "h22", "h23", "h24", "h25", "h26", "h27", "h28", "h29", "h30", "h31", "h32", "h33", "h34", "h35", "h36", "h37", "h38", "h39", "h40", "h41", "h42", "h43", "h44") SELECT (CAST(strftime('%s', substr("at", 1, 19)) AS INTEGER) / 3600) * 3600, COALESCE("proxyId", ''), "status", COALESCE("blockedBy", ''), COUNT(*), SUM(CASE WHEN "status" >= 400 THEN 1 ELSE 0 END), SUM(CASE WHEN "bot" IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN "tls" THEN 1 ELSE 0 END), SUM(CASE WHEN "authenticated" THEN 1 ELSE 0 END), SUM("bytesIn"), SUM("bytesOut"), SUM("latencyMs"), MAX("latencyMs"), SUM(CASE WHEN "latencyMs" < 1 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 1 AND "latencyMs" < 2 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 2 AND "latencyMs" < 3 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 3 AND "latencyMs" < 4 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 4 AND "latencyMs" < 5 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 5 AND "latencyMs" < 6 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 6 AND "latencyMs" < 7 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 7 AND "latencyMs" < 8 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 8 AND "latencyMs" < 9 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 9 AND "latencyMs" < 10 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 10 AND "latencyMs" < 12 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 12 AND "latencyMs" < 15 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 15 AND "latencyMs" < 20 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 20 AND "latencyMs" < 25 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 25 AND "latencyMs" < 30 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 30 AND "latencyMs" < 40 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 40 AND "latencyMs" < 50 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 50 AND "latencyMs" < 60 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 60 AND "latencyMs" < 80 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 80 AND "latencyMs" < 100 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 100 AND "latencyMs" < 120 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 120 AND "latencyMs" < 150 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 150 AND "latencyMs" < 200 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 200 AND "latencyMs" < 250 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 250 AND "latencyMs" < 300 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 300 AND "latencyMs" < 400 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 400 AND "latencyMs" < 500 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 500 AND "latencyMs" < 600 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 600 AND "latencyMs" < 800 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 800 AND "latencyMs" < 1000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 1000 AND "latencyMs" < 1200 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 1200 AND "latencyMs" < 1500 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 1500 AND "latencyMs" < 2000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 2000 AND "latencyMs" < 2500 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 2500 AND "latencyMs" < 3000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 3000 AND "latencyMs" < 4000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 4000 AND "latencyMs" < 5000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 5000 AND "latencyMs" < 6000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 6000 AND "latencyMs" < 8000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 8000 AND "latencyMs" < 10000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 10000 AND "latencyMs" < 15000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 15000 AND "latencyMs" < 20000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 20000 AND "latencyMs" < 30000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 30000 AND "latencyMs" < 60000 THEN 1 ELSE 0 END), SUM(CASE WHEN "latencyMs" >= 60000 THEN 1 ELSE 0 END) FROM "analytics_events" GROUP BY 1, 2, 3, 4;

-- Backfill: analytics_hourly_apps from the events already stored.
INSERT INTO "analytics_hourly_apps" ("hour", "appId", "developerId", "calls", "errors", "bots", "tls", "authenticated", "bytesIn", "bytesOut", "latencySum", "latencyMax") SELECT (CAST(strftime('%s', substr("at", 1, 19)) AS INTEGER) / 3600) * 3600, COALESCE("appId", ''), COALESCE("developerId", ''), COUNT(*), SUM(CASE WHEN "status" >= 400 THEN 1 ELSE 0 END), SUM(CASE WHEN "bot" IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN "tls" THEN 1 ELSE 0 END), SUM(CASE WHEN "authenticated" THEN 1 ELSE 0 END), SUM("bytesIn"), SUM("bytesOut"), SUM("latencyMs"), MAX("latencyMs") FROM "analytics_events" GROUP BY 1, 2, 3;
