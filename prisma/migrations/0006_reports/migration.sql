-- CreateTable
CREATE TABLE "report_definition" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "clusters" TEXT[],
    "scope" JSONB NOT NULL,
    "options" JSONB NOT NULL,
    "period" TEXT NOT NULL,
    "schedule" TEXT,
    "formats" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_run_to" TIMESTAMPTZ(3),

    CONSTRAINT "report_definition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_result" (
    "id" SERIAL NOT NULL,
    "definition_id" INTEGER NOT NULL,
    "cluster" TEXT NOT NULL,
    "period_from" TIMESTAMPTZ(3) NOT NULL,
    "period_to" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "format" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "content" BYTEA,
    "signature" JSONB,
    "error" TEXT,

    CONSTRAINT "report_result_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "report_definition_name_key" ON "report_definition"("name");

-- CreateIndex
CREATE INDEX "report_result_definition_id_created_at_idx" ON "report_result"("definition_id", "created_at");

-- AddForeignKey
ALTER TABLE "report_result" ADD CONSTRAINT "report_result_definition_id_fkey" FOREIGN KEY ("definition_id") REFERENCES "report_definition"("id") ON DELETE CASCADE ON UPDATE CASCADE;
