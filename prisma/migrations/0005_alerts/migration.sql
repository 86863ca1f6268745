-- CreateTable
CREATE TABLE "alert_rule" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "cluster_id" INTEGER,
    "target" TEXT NOT NULL DEFAULT '*',
    "changes" TEXT[],
    "source" TEXT NOT NULL DEFAULT 'any',
    "ports" JSONB,
    "severity" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_receiver" (
    "id" SERIAL NOT NULL,
    "rule_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "sealed" BYTEA NOT NULL,
    "shown" TEXT NOT NULL,

    CONSTRAINT "alert_receiver_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_silence" (
    "id" SERIAL NOT NULL,
    "cluster_id" INTEGER,
    "rule_id" INTEGER,
    "target" TEXT,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_silence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_delivery" (
    "id" BIGSERIAL NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "rule_id" INTEGER,
    "receiver_id" INTEGER,
    "cluster_id" INTEGER NOT NULL,
    "snapshot_id" INTEGER,
    "rule_name" TEXT NOT NULL,
    "receiver_kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "silence_id" INTEGER,
    "alert" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_rule_name_key" ON "alert_rule"("name");

-- CreateIndex
CREATE INDEX "alert_rule_cluster_id_idx" ON "alert_rule"("cluster_id");

-- CreateIndex
CREATE INDEX "alert_receiver_rule_id_idx" ON "alert_receiver"("rule_id");

-- CreateIndex
CREATE INDEX "alert_silence_ends_at_idx" ON "alert_silence"("ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_delivery_idempotency_key_key" ON "alert_delivery"("idempotency_key");

-- CreateIndex
CREATE INDEX "alert_delivery_status_id_idx" ON "alert_delivery"("status", "id");

-- CreateIndex
CREATE INDEX "alert_delivery_rule_id_id_idx" ON "alert_delivery"("rule_id", "id");

-- AddForeignKey
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_receiver" ADD CONSTRAINT "alert_receiver_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_silence" ADD CONSTRAINT "alert_silence_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_silence" ADD CONSTRAINT "alert_silence_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_receiver_id_fkey" FOREIGN KEY ("receiver_id") REFERENCES "alert_receiver"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;
