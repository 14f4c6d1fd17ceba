/// What Jitsi's External API needs to place a meeting on a page, read from
/// the join URL the server made (`https://<host>[/<tenant>]/<room>?jwt=…`):
/// the deployment's own `external_api.js`, its domain, the room (with the
/// JaaS tenant before it) and the participant's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JitsiEmbed {
    pub script_url: String,
    pub domain: String,
    pub room_name: String,
    pub jwt: Option<String>,
}

impl JitsiEmbed {
    pub fn from_join_url(url: &str) -> Option<JitsiEmbed> {
        let (scheme, rest) = url.split_once("://")?;
        let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (domain, room_path) = address.split_once('/')?;
        let room_name = room_path.trim_end_matches('/');
        if domain.is_empty() || room_name.is_empty() {
            return None;
        }
        let folder = room_name
            .rsplit_once('/')
            .map(|(tenant, _)| format!("/{tenant}"))
            .unwrap_or_default();
        let jwt = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("jwt="))
            .map(str::to_owned);
        Some(JitsiEmbed {
            script_url: format!("{scheme}://{domain}{folder}/external_api.js"),
            domain: domain.to_owned(),
            room_name: room_name.to_owned(),
            jwt,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_hosted_and_jaas_urls_give_their_script_domain_room_and_token() {
        assert_eq!(
            JitsiEmbed::from_join_url("https://meet.example.org/team-0123?jwt=a.b.c"),
            Some(JitsiEmbed {
                script_url: "https://meet.example.org/external_api.js".into(),
                domain: "meet.example.org".into(),
                room_name: "team-0123".into(),
                jwt: Some("a.b.c".into()),
            })
        );
        assert_eq!(
            JitsiEmbed::from_join_url("https://8x8.vc/vpaas-magic-cookie-1/team-0123?x=1&jwt=t"),
            Some(JitsiEmbed {
                script_url: "https://8x8.vc/vpaas-magic-cookie-1/external_api.js".into(),
                domain: "8x8.vc".into(),
                room_name: "vpaas-magic-cookie-1/team-0123".into(),
                jwt: Some("t".into()),
            })
        );
        let local = JitsiEmbed::from_join_url("http://127.0.0.1:4000/team-1").unwrap();
        assert_eq!(local.script_url, "http://127.0.0.1:4000/external_api.js");
        assert_eq!(local.jwt, None);
        assert_eq!(JitsiEmbed::from_join_url("https://meet.example.org/"), None);
        assert_eq!(JitsiEmbed::from_join_url("not a url"), None);
    }
}
