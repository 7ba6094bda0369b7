use std::future::{ready, Ready};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use ipnet::IpNet;

use crate::error::ApiError;

/// The proxies whose `X-Forwarded-For` is believed (`CADRE_TRUSTED_PROXIES`); none by default.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    pub(crate) fn trust(&self, address: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&address))
    }
}

/// Where a request comes from, for throttling and the audit log: the peer's address, or —
/// when the peer is a trusted proxy — the nearest hop of `X-Forwarded-For` that is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ClientAddress {
    /// Walks `X-Forwarded-For` from the right (the hop the peer added last): each trusted
    /// hop passes the question to the one before it; the first hop that is not trusted is
    /// the client. A hop that is not an address ends the walk at the last good one, so a
    /// client cannot hide behind a forged value; without a trusted peer the header is
    /// ignored, since anyone can send it.
    pub fn resolve<'a>(
        peer: IpAddr,
        forwarded: impl DoubleEndedIterator<Item = &'a str>,
        trusted: &TrustedProxies,
    ) -> ClientAddress {
        let mut client = peer.to_canonical();
        if !trusted.trust(client) {
            return ClientAddress(client);
        }
        for hop in forwarded.rev() {
            let Some(address) = parse_hop(hop) else { break };
            client = address;
            if !trusted.trust(address) {
                break;
            }
        }
        ClientAddress(client)
    }
}

/// One hop of `X-Forwarded-For`: an address, possibly with a port (`[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

impl FromRequest for ClientAddress {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let peer = req
            .peer_addr()
            .map(|a| a.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let none = TrustedProxies::default();
        let trusted = req
            .app_data::<web::Data<TrustedProxies>>()
            .map(|t| t.get_ref())
            .unwrap_or(&none);
        let hops: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        ready(Ok(ClientAddress::resolve(peer, hops.into_iter(), trusted)))
    }
}

/// Parses `CADRE_TRUSTED_PROXIES`: addresses or networks, comma-separated.
pub fn parse_trusted_proxies(raw: Option<&str>) -> Result<TrustedProxies, String> {
    let Some(raw) = raw else {
        return Ok(TrustedProxies::default());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("CADRE_TRUSTED_PROXIES: {item:?} is not an address or a network such as 10.0.0.0/8")
                })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(TrustedProxies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn the_client_is_the_nearest_untrusted_hop() {
        let proxies = parse_trusted_proxies(Some("10.0.0.0/8, 127.0.0.1")).expect("valid");
        let resolve = |peer: &str, header: &str| {
            ClientAddress::resolve(ip(peer), header.split(',').filter(|h| !h.is_empty()), &proxies).0
        };
        // Not through a trusted proxy: the header is anybody's word.
        assert_eq!(resolve("203.0.113.9", "198.51.100.1"), ip("203.0.113.9"));
        // Through one proxy, and through a chain of them.
        assert_eq!(resolve("127.0.0.1", "198.51.100.1"), ip("198.51.100.1"));
        assert_eq!(resolve("10.1.1.1", "198.51.100.1, 10.2.2.2"), ip("198.51.100.1"));
        // A client that forges hops before its own: the forged ones are never reached.
        assert_eq!(resolve("127.0.0.1", "1.1.1.1, 198.51.100.1"), ip("198.51.100.1"));
        // Garbage stops the walk at the last good hop; no header leaves the proxy.
        assert_eq!(resolve("127.0.0.1", "198.51.100.1, garbage"), ip("127.0.0.1"));
        assert_eq!(resolve("127.0.0.1", ""), ip("127.0.0.1"));
        // Ports and IPv4 written as IPv6.
        assert_eq!(resolve("::ffff:127.0.0.1", "[2001:db8::1]:443"), ip("2001:db8::1"));
        assert_eq!(resolve("127.0.0.1", "198.51.100.7:5000"), ip("198.51.100.7"));
        // Off by default.
        let none = TrustedProxies::default();
        assert_eq!(
            ClientAddress::resolve(ip("127.0.0.1"), ["198.51.100.1"].into_iter(), &none).0,
            ip("127.0.0.1")
        );
        assert!(parse_trusted_proxies(Some("10.0.0.0/33")).is_err());
        assert!(parse_trusted_proxies(Some("proxy.local")).is_err());
    }
}
