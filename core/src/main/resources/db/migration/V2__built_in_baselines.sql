-- The three built-in baselines of the seed product, one default per OS: Security patches of
-- severity Critical and Important, approved 7 days after they are issued, compliance level HIGH.
INSERT INTO baselines (name, description, scenario, os, approved_patches_compliance_level,
                       rejected_patches_action, default_for_os, built_in, created_at, updated_at)
VALUES
  ('HCE-default', 'Built-in: Critical and Important security patches, 7 days after release', 'ECS', 'HCE',
   'UNSPECIFIED', 'ALLOW_AS_DEPENDENCY', TRUE, TRUE, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('CentOS-default', 'Built-in: Critical and Important security patches, 7 days after release', 'ECS', 'CENTOS',
   'UNSPECIFIED', 'ALLOW_AS_DEPENDENCY', TRUE, TRUE, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)),
  ('EulerOS-default', 'Built-in: Critical and Important security patches, 7 days after release', 'ECS', 'EULEROS',
   'UNSPECIFIED', 'ALLOW_AS_DEPENDENCY', TRUE, TRUE, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));

INSERT INTO baseline_rules (baseline_id, position, products, categories, severities,
                            approve_after_days, approve_until_date, compliance_level)
SELECT id, 0, '["ALL"]', '["SECURITY"]', '["CRITICAL","IMPORTANT"]', 7, NULL, 'HIGH'
FROM baselines WHERE built_in;
