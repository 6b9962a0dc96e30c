-- The normalised address of each item's link (core::crowd::resource_address), written with its
-- curriculum's source, so that one resource linked from unrelated curricula is found as one.
CREATE TABLE item_addresses (
    curriculum_id INTEGER NOT NULL,
    item_id TEXT NOT NULL,
    address TEXT NOT NULL,
    CONSTRAINT item_addresses_pkey PRIMARY KEY (curriculum_id, item_id),
    CONSTRAINT item_addresses_curriculum_id_fkey FOREIGN KEY (curriculum_id) REFERENCES curricula (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX item_addresses_address_idx ON item_addresses (address, curriculum_id, item_id);
