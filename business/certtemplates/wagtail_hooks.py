from wagtail import hooks

from .schema import CertificateTemplateMutation, CertificateTemplateQuery


@hooks.register("register_schema_query")
def add_certificate_template_queries(query_mixins):
    query_mixins.append(CertificateTemplateQuery)


@hooks.register("register_schema_mutation")
def add_certificate_template_mutations(mutation_mixins):
    mutation_mixins.append(CertificateTemplateMutation)
