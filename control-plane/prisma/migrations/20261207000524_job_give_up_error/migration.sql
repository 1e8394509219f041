-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "giveUpError" TEXT;
