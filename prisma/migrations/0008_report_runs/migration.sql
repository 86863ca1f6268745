-- CreateTable
CREATE TABLE "report_run" (
    "id" SERIAL NOT NULL,
    "definition_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "scheduled" BOOLEAN NOT NULL DEFAULT false,
    "job_id" TEXT,
    "requested_by" TEXT NOT NULL,
    "period_from" TIMESTAMPTZ(3) NOT NULL,
    "period_to" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "report_run_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "report_result" ADD COLUMN "run_id" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "report_run_job_id_key" ON "report_run"("job_id");

-- CreateIndex
CREATE INDEX "report_run_definition_id_id_idx" ON "report_run"("definition_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "report_result_run_id_cluster_format_key" ON "report_result"("run_id", "cluster", "format");

-- AddForeignKey
ALTER TABLE "report_run" ADD CONSTRAINT "report_run_definition_id_fkey" FOREIGN KEY ("definition_id") REFERENCES "report_definition"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_result" ADD CONSTRAINT "report_result_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "report_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
