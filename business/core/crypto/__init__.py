"""Chinese national cryptographic algorithms: SM2 signatures, SM3 hashing and SM4 encryption.

Import the submodules directly, for example ``from business.core.crypto import sm2``.
"""
