-- AlterTable
ALTER TABLE "access_tokens" ADD COLUMN     "attributes" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "products" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "refresh_tokens" ADD COLUMN     "idTokenRecordId" TEXT,
ADD COLUMN     "products" TEXT NOT NULL DEFAULT '[]';

