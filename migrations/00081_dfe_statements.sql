-- +goose Up
-- DfE's financial statements, copied by the declarations job (upsert by DfE's id), so the
-- declarations page can say which statement's cut-off a due declaration must beat and when
-- DfE pays it. cohort is DfE's cohort year ("2025").
CREATE TABLE dfe_statements (
    id             uuid PRIMARY KEY,
    cohort         text NOT NULL,
    month          text NOT NULL,
    year           text NOT NULL,
    cut_off_date   date NOT NULL,
    payment_date   date,
    paid           boolean NOT NULL DEFAULT false,
    dfe_updated_at timestamptz NOT NULL,
    synced_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dfe_statements_cut_off_idx ON dfe_statements (cohort, cut_off_date);

-- +goose Down
DROP TABLE dfe_statements;
