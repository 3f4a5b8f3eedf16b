#pragma once
// The one TLS client context, for SMTP and webhooks alike.
#include <Poco/Net/Context.h>

namespace booking {

// The system's CA certificates (SSL_CERT_FILE/SSL_CERT_DIR are honoured), the
// peer verified and its name checked, TLS 1.2 at least; an invalid
// certificate is refused.
Poco::Net::Context::Ptr tls_context();

}  // namespace booking
