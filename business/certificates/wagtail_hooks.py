from wagtail import hooks

from .schema import CertificateQuery


@hooks.register("register_schema_query")
def add_certificate_queries(query_mixins):
    query_mixins.append(CertificateQuery)


@hooks.register("register_schema_query")
def add_enterprise_certificate_queries(query_mixins):
    from .enterprise_schema import EnterpriseCertificateQuery

    query_mixins.append(EnterpriseCertificateQuery)
