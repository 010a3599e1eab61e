-- CreateTable
CREATE TABLE "portal_settings" (
    "id" TEXT NOT NULL PRIMARY KEY DEFAULT 'portal',
    "organisation" TEXT NOT NULL DEFAULT 'Gatehouse',
    "tagline" TEXT NOT NULL DEFAULT '',
    "primaryColor" TEXT NOT NULL DEFAULT '#2563eb',
    "accentColor" TEXT NOT NULL DEFAULT '#0f172a',
    "logo" BLOB,
    "logoType" TEXT,
    "termsMarkdown" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "guides" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "productId" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "published" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "guides_productId_fkey" FOREIGN KEY ("productId") REFERENCES "api_products" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- AlterTable: added columns only (rebuilding api_products would delete the rows that cascade from it)
ALTER TABLE "api_products" ADD COLUMN "scopeDescriptions" TEXT NOT NULL DEFAULT '{}';
ALTER TABLE "api_products" ADD COLUMN "featured" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "guides_slug_key" ON "guides"("slug");

-- CreateIndex
CREATE INDEX "guides_productId_idx" ON "guides"("productId");

