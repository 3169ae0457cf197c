INSERT INTO appointment (patient, starts_at) VALUES ('Ada Lovelace', '2030-01-15 09:00+00');
