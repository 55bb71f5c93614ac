-- openEuler out of the box: a built-in baseline like the three of V2 (Security patches of severity
-- Critical and Important, approved 7 days after they are issued, compliance level HIGH), so a
-- first scan of every host works without making a baseline first.
-- It is the OPENEULER default unless a user already made one: one default per OS, and theirs stays.
-- A baseline a user already named openEuler-default is left as it is, and none is added.
INSERT INTO baselines (name, description, scenario, os, approved_patches_compliance_level,
                       rejected_patches_action, default_for_os, built_in, created_at, updated_at)
SELECT 'openEuler-default', 'Built-in: Critical and Important security patches, 7 days after release', 'ECS',
       'OPENEULER', 'UNSPECIFIED', 'ALLOW_AS_DEPENDENCY',
       NOT EXISTS (SELECT 1 FROM baselines d WHERE d.default_os = 'OPENEULER'),
       TRUE, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
FROM DUAL
WHERE NOT EXISTS (SELECT 1 FROM baselines n WHERE n.name = 'openEuler-default');

-- Only the built-in one just added gets the rule: a user's baseline of that name keeps its own rules.
INSERT INTO baseline_rules (baseline_id, position, products, categories, severities,
                            approve_after_days, approve_until_date, compliance_level)
SELECT b.id, 0, '["ALL"]', '["SECURITY"]', '["CRITICAL","IMPORTANT"]', 7, NULL, 'HIGH'
FROM baselines b
WHERE b.name = 'openEuler-default' AND b.built_in
  AND NOT EXISTS (SELECT 1 FROM baseline_rules r WHERE r.baseline_id = b.id);
