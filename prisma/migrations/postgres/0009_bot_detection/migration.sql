-- Bot detection (issue #7): admins' rules and the detections, bounded per identity, signature and bucket.
-- CreateTable
CREATE TABLE "bot_rules" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "config" TEXT NOT NULL DEFAULT '{}',
    "note" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "bot_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bot_detections" (
    "id" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "evidence" TEXT NOT NULL DEFAULT '{}',
    "action" TEXT NOT NULL,
    "proxyId" TEXT,
    "appId" TEXT,
    "clientIp" TEXT,
    "userAgent" TEXT,
    "hits" INTEGER NOT NULL DEFAULT 1,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bot_detections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "bot_rules_kind_target_key" ON "bot_rules"("kind", "target");

-- CreateIndex
CREATE INDEX "bot_detections_lastSeenAt_idx" ON "bot_detections"("lastSeenAt");

-- CreateIndex
CREATE UNIQUE INDEX "bot_detections_identity_signature_bucket_key" ON "bot_detections"("identity", "signature", "bucket");

