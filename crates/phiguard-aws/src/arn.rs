//! Amazon Resource Names: splitting an ARN into its fields and deriving the
//! `aws:NAMESPACE:TYPE` resource type that the model gives live resources.

/// The fields of an ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    /// The service namespace, such as `sqs` or `elasticloadbalancing`. It is
    /// usually, but not always, the service's IAM prefix.
    pub service: &'a str,
    /// Empty for global resources such as S3 buckets and IAM roles.
    pub region: &'a str,
    /// Empty for S3 buckets.
    pub account: &'a str,
    /// Everything after the fifth colon, colons included.
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits an ARN, or returns `None` when `text` has fewer than six
    /// colon-separated fields, does not start with `arn:`, or has an empty
    /// partition or service.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut fields = text.splitn(6, ':');
        if fields.next()? != "arn" {
            return None;
        }
        let partition = fields.next()?;
        let service = fields.next()?;
        let region = fields.next()?;
        let account = fields.next()?;
        let resource = fields.next()?;
        if partition.is_empty() || service.is_empty() {
            return None;
        }
        Some(Arn { partition, service, region, account, resource })
    }

    /// Returns the resource type part of the ARN: the text before the first
    /// `/` or `:` of the resource (`table/orders` gives `table`,
    /// `function:intake` gives `function`, `/restapis/a1b2` gives
    /// `restapis`). A resource that is a bare name, as for SQS queues, SNS
    /// topics and S3 buckets, gives the type that service documents for it.
    pub fn resource_type(&self) -> &'a str {
        let resource = self.resource.strip_prefix('/').unwrap_or(self.resource);
        if let Some(end) = resource.find(['/', ':']) {
            return &resource[..end];
        }
        match self.service {
            "sqs" => "queue",
            "sns" => "topic",
            "s3" => "bucket",
            _ => "resource",
        }
    }

    /// Returns the model's resource type for a live resource:
    /// `aws:NAMESPACE:TYPE`, such as `aws:sqs:queue` or `aws:dynamodb:table`.
    pub fn model_type(&self) -> String {
        format!("aws:{}:{}", self.service.to_ascii_lowercase(), self.resource_type())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_type(text: &str) -> String {
        Arn::parse(text).unwrap_or_else(|| panic!("{text} does not parse")).model_type()
    }

    #[test]
    fn types_from_common_arn_shapes() {
        let cases = [
            ("arn:aws:sqs:us-east-1:123456789012:intake", "aws:sqs:queue"),
            ("arn:aws:sns:us-east-1:123456789012:alerts", "aws:sns:topic"),
            ("arn:aws:s3:::claims-exports", "aws:s3:bucket"),
            ("arn:aws:dynamodb:us-east-1:123456789012:table/orders", "aws:dynamodb:table"),
            ("arn:aws:lambda:us-east-1:123456789012:function:intake", "aws:lambda:function"),
            ("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/intake", "aws:logs:log-group"),
            ("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc", "aws:ec2:instance"),
            (
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
                "aws:elasticloadbalancing:loadbalancer",
            ),
            ("arn:aws:apigateway:us-east-1::/restapis/a1b2c3", "aws:apigateway:restapis"),
            ("arn:aws-us-gov:rds:us-gov-west-1:123456789012:db:records", "aws:rds:db"),
        ];
        for (arn, expected) in cases {
            assert_eq!(model_type(arn), expected, "{arn}");
        }
    }

    #[test]
    fn fields_keep_colons_in_resource() {
        let arn = Arn::parse("arn:aws:logs:eu-west-1:123456789012:log-group:app:*").unwrap();
        assert_eq!(arn.partition, "aws");
        assert_eq!(arn.service, "logs");
        assert_eq!(arn.region, "eu-west-1");
        assert_eq!(arn.account, "123456789012");
        assert_eq!(arn.resource, "log-group:app:*");
    }

    #[test]
    fn malformed_arns_are_rejected() {
        for text in ["", "arn", "arn:aws:sqs", "urn:aws:sqs:us-east-1:1:q", "arn::sqs:r:a:q", "arn:aws::r:a:q"] {
            assert!(Arn::parse(text).is_none(), "{text:?}");
        }
    }
}
