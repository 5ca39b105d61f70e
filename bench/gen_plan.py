#!/usr/bin/env python3
"""Writes a synthetic Terraform plan (format 1.2) with N resources.

The plan mixes the resource types phiguard models: S3 buckets with their
split encryption, versioning and policy resources, KMS keys, RDS instances,
security groups and CloudWatch log groups, spread over modules, with
configuration references like `terraform show -json` writes. The output is
deterministic for a given N, so runs can be compared.

Usage: gen_plan.py N OUTPUT.json
"""

import json
import sys


def resource(address, rtype, name, values, index=None):
    entry = {"address": address, "mode": "managed", "type": rtype, "name": name,
             "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
             "values": values, "sensitive_values": {}}
    if index is not None:
        entry["index"] = index
    return entry


def group(module, i):
    """Returns (resources, config_resources) for one group of 8 resources."""
    prefix = f"module.{module}." if module else ""
    bucket = f"aws_s3_bucket.b{i}"
    key = f"aws_kms_key.k{i}"
    out = [
        (key, "aws_kms_key", f"k{i}", {"description": f"key {i}", "enable_key_rotation": i % 3 != 0,
                                        "key_usage": "ENCRYPT_DECRYPT", "customer_master_key_spec": "SYMMETRIC_DEFAULT",
                                        "deletion_window_in_days": 30, "tags": {"ephi": "true"} if i % 2 else None}, {}),
        (bucket, "aws_s3_bucket", f"b{i}", {"bucket": f"synthetic-bucket-{module}-{i}", "force_destroy": False,
                                           "tags": {"DataClassification": "phi"} if i % 4 == 0 else None}, {}),
        (f"aws_s3_bucket_server_side_encryption_configuration.b{i}", "aws_s3_bucket_server_side_encryption_configuration", f"b{i}",
         {"bucket": f"synthetic-bucket-{module}-{i}", "expected_bucket_owner": None,
          "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": None}],
                    "bucket_key_enabled": True}]},
         {"bucket": [bucket + ".id", bucket], "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": [key + ".arn", key]}]}]}),
        (f"aws_s3_bucket_versioning.b{i}", "aws_s3_bucket_versioning", f"b{i}",
         {"bucket": f"synthetic-bucket-{module}-{i}", "versioning_configuration": [{"status": "Enabled" if i % 2 else "Suspended", "mfa_delete": None}]},
         {"bucket": [bucket + ".id", bucket]}),
        (f"aws_s3_bucket_policy.b{i}", "aws_s3_bucket_policy", f"b{i}",
         {"bucket": f"synthetic-bucket-{module}-{i}", "policy": json.dumps({"Version": "2012-10-17", "Statement": [
             {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": f"arn:aws:s3:::synthetic-bucket-{module}-{i}/*",
              "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})},
         {"bucket": [bucket + ".id", bucket]}),
        (f"aws_db_instance.db{i}", "aws_db_instance", f"db{i}",
         {"engine": "postgres", "engine_version": "16.3", "instance_class": "db.t3.micro", "storage_encrypted": i % 5 != 0,
          "kms_key_id": None, "publicly_accessible": False, "backup_retention_period": 7, "multi_az": True,
          "deletion_protection": True, "enabled_cloudwatch_logs_exports": ["postgresql"], "parameter_group_name": None},
         {"kms_key_id": [key + ".arn", key]}),
        (f"aws_security_group.sg{i}", "aws_security_group", f"sg{i}",
         {"name": f"sg-{module}-{i}", "description": "synthetic", "ingress": [
             {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"], "ipv6_cidr_blocks": [],
              "description": "", "prefix_list_ids": [], "security_groups": [], "self": False}]}, {}),
        (f"aws_cloudwatch_log_group.lg{i}", "aws_cloudwatch_log_group", f"lg{i}",
         {"name": f"/synthetic/{module}/{i}", "retention_in_days": 2192 if i % 2 else 30, "kms_key_id": None},
         {"kms_key_id": [key + ".arn", key]}),
    ]
    resources, changes, config = [], [], []
    for local, rtype, name, values, refs in out:
        address = prefix + local
        after_unknown = {k: True for k in values if values[k] is None and any(k == r for r in refs)}
        if rtype == "aws_s3_bucket_server_side_encryption_configuration":
            after_unknown = {"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": True}]}]}
        resources.append(resource(address, rtype, name, values))
        changes.append({"address": address, "module_address": prefix.rstrip(".") or None, "mode": "managed", "type": rtype,
                        "name": name, "provider_name": "registry.terraform.io/hashicorp/aws",
                        "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": after_unknown}})
        expressions = {}
        for attribute, target in refs.items():
            if isinstance(target, list) and target and isinstance(target[0], dict):
                expressions[attribute] = [{"apply_server_side_encryption_by_default": [
                    {"kms_master_key_id": {"references": target[0]["apply_server_side_encryption_by_default"][0]["kms_master_key_id"]}}]}]
            else:
                expressions[attribute] = {"references": target}
        config.append({"address": local, "mode": "managed", "type": rtype, "name": name, "expressions": expressions})
    return resources, changes, config


def main():
    count, output = int(sys.argv[1]), sys.argv[2]
    groups = max(1, count // 8)
    modules = ["", "app", "data", "logs"]
    root_resources, child_modules, changes = [], {}, []
    config_modules = {m: [] for m in modules}
    for i in range(groups):
        module = modules[i % len(modules)]
        resources, group_changes, config = group(module, i)
        changes.extend(group_changes)
        config_modules[module].extend(config)
        if module:
            child_modules.setdefault(module, []).extend(resources)
        else:
            root_resources.extend(resources)
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {
            "resources": root_resources,
            "child_modules": [{"address": f"module.{m}", "resources": r} for m, r in sorted(child_modules.items())]}},
        "resource_changes": changes,
        "configuration": {"root_module": {
            "resources": config_modules[""],
            "module_calls": {m: {"source": f"./modules/{m}", "module": {"resources": config_modules[m]}} for m in modules if m}}},
    }
    with open(output, "w") as handle:
        json.dump(plan, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
