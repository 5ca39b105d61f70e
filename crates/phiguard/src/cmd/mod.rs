pub mod rules;
pub mod scan;
pub mod services;
pub mod scp;
pub mod phi;
