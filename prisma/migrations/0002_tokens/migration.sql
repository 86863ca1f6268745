-- CreateTable
CREATE TABLE "api_token" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "cluster_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_token_secret_hash_key" ON "api_token"("secret_hash");

-- CreateIndex
CREATE INDEX "api_token_name_idx" ON "api_token"("name");

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A name is unique among tokens not revoked (revoked ones stay as an audit record).
CREATE UNIQUE INDEX "api_token_name_active_key" ON "api_token"("name") WHERE "revoked_at" IS NULL;
