-- AlterTable
ALTER TABLE "api_products" ADD COLUMN     "featured" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "scopeDescriptions" TEXT NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "portal_settings" (
    "id" TEXT NOT NULL DEFAULT 'portal',
    "organisation" TEXT NOT NULL DEFAULT 'Gatehouse',
    "tagline" TEXT NOT NULL DEFAULT '',
    "primaryColor" TEXT NOT NULL DEFAULT '#2563eb',
    "accentColor" TEXT NOT NULL DEFAULT '#0f172a',
    "logo" BYTEA,
    "logoType" TEXT,
    "termsMarkdown" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "portal_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guides" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "productId" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "published" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "guides_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "guides_slug_key" ON "guides"("slug");

-- CreateIndex
CREATE INDEX "guides_productId_idx" ON "guides"("productId");

-- AddForeignKey
ALTER TABLE "guides" ADD CONSTRAINT "guides_productId_fkey" FOREIGN KEY ("productId") REFERENCES "api_products"("id") ON DELETE CASCADE ON UPDATE CASCADE;

